import './tracing';
import { startIdentity } from './start-identity';

void startIdentity();
