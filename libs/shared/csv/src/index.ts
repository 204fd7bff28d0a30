export { CsvSyntaxError, parseCsv, type CsvRecord } from './csv';
