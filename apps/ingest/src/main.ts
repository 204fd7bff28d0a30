import './tracing';
import { startIngest } from './start-ingest';

void startIngest();
