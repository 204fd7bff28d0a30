import './tracing';
import { startDownlink } from './start-downlink';

void startDownlink();
