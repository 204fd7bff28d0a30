import './tracing';
import { startChirpstackSync } from './start-chirpstack-sync';

void startChirpstackSync();
