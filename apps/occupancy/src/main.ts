import './tracing';
import { startOccupancy } from './start-occupancy';

void startOccupancy();
