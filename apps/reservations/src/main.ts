import './tracing';
import { startReservations } from './start-reservations';

void startReservations();
