import './tracing';
import { startGateway } from './start-gateway';

void startGateway();
