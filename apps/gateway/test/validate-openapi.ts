import { spawn } from 'node:child_process';

// @apidevtools/swagger-parser 13 loads ES modules that jest's CommonJS runtime cannot require;
// Node itself can, so the validation runs in a child process.
const VALIDATE = `
const parser = require('@apidevtools/swagger-parser');
let input = '';
process.stdin.on('data', (chunk) => (input += chunk)).on('end', () =>
  parser.validate(JSON.parse(input)).then(
    (api) => process.stdout.write(JSON.stringify({ valid: true, openapi: api.openapi })),
    (error) => process.stdout.write(JSON.stringify({ valid: false, error: error.message })),
  ),
);`;

/** Validates an OpenAPI document with swagger-parser (schema + references). */
export function validateOpenApi(document: unknown): Promise<{ valid: boolean; openapi?: string; error?: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', VALIDATE], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('exit', () => {
      try {
        resolve(JSON.parse(output));
      } catch {
        reject(new Error(`swagger-parser printed no verdict: ${output}`));
      }
    });
    child.stdin.end(JSON.stringify(document));
  });
}
