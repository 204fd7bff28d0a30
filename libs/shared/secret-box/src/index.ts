export { generateSecretsKey, SecretBox, SecretBoxKeyError, SecretBoxOpenError } from './secret-box';
