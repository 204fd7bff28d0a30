import { targetOf } from './chirpstack-target';

describe('targetOf', () => {
  it.each([
    ['http://chirpstack:8080', { address: 'chirpstack:8080', secure: false }],
    ['http://chirpstack', { address: 'chirpstack:8080', secure: false }],
    ['https://chirpstack.example.com', { address: 'chirpstack.example.com:443', secure: true }],
    ['https://chirpstack.example.com:8443/', { address: 'chirpstack.example.com:8443', secure: true }],
    ['http://10.0.0.5:9000', { address: '10.0.0.5:9000', secure: false }],
  ])('reads %s as %j', (url, target) => {
    expect(targetOf(url)).toEqual(target);
  });

  it.each([
    ['chirpstack:8080', /is not a URL|must start with http/],
    ['grpc://chirpstack:8080', /must start with http:\/\/ or https:\/\//],
    ['https://chirpstack.example.com/api', /takes no path/],
  ])('refuses %s, saying what to fix', (url, message) => {
    expect(() => targetOf(url)).toThrow(message);
  });
});
