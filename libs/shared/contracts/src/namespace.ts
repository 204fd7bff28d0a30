import type { StreamSpec } from './streams';

const NAMESPACE = /^[A-Za-z0-9_-]*$/;

/**
 * Tests and parallel stacks share one NATS server: a namespace prefixes subjects
 * (`<ns>.<subject>`) and stream names (`<NS>_<NAME>`). The empty namespace maps to itself.
 */
export class Namespace {
  constructor(readonly prefix: string = '') {
    if (!NAMESPACE.test(prefix)) {
      throw new Error(`Namespace "${prefix}" may hold only letters, digits, '_' and '-' (it becomes a subject token and part of a stream name)`);
    }
  }

  subject(subject: string): string {
    return this.prefix ? `${this.prefix}.${subject}` : subject;
  }

  /** The logical subject of a namespaced one (dead-letter records keep what the app saw). */
  unqualify(subject: string): string {
    const head = `${this.prefix}.`;
    return this.prefix && subject.startsWith(head) ? subject.slice(head.length) : subject;
  }

  stream(name: string): string {
    return this.prefix ? `${this.prefix.toUpperCase().replace(/-/g, '_')}_${name}` : name;
  }

  streamSpec(spec: StreamSpec): StreamSpec {
    return { ...spec, name: this.stream(spec.name), subjects: spec.subjects.map((s) => this.subject(s)) };
  }
}

export function asNamespace(ns: Namespace | string | undefined): Namespace {
  return ns instanceof Namespace ? ns : new Namespace(ns ?? '');
}
