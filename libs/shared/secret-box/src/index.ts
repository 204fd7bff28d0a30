export { generateSecretsKey, SecretBox, SecretBoxKeyError, SecretBoxOpenError } from './secret-box';
export { sealedFor } from './bindings';
