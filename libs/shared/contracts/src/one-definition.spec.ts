import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Every payload is declared once, in this library. A class under apps/<app>/src whose
 * properties carry validation or OpenAPI decorators is a second definition. The only ones
 * allowed are the previous platform's aliases, adapters that map old bodies onto a contracts
 * class; and the services' environment classes, which are configuration, not payloads.
 */
const LEGACY_ADAPTERS: Record<string, string[]> = {
  // POST /api/auth/register (snake case) and the OAuth2 form-encoded password grant of login.
  'gateway/src/identity-routes/legacy-auth-bodies.ts': ['LegacyRegisterBody', 'LoginBody'],
  // POST /api/v6/spaces ({site_id, code, name}) and PUT /api/v6/spaces/{id}/state.
  'gateway/src/occupancy-routes/dto/legacy-spaces.dto.ts': ['LegacyCreateSpaceBody', 'LegacySpaceStateBody'],
  // POST /api/v6/reservations ({space_id, start_time, end_time, user_email, request_id}), its list query and check-availability.
  'gateway/src/reservation-routes/legacy-reservation-bodies.ts': ['LegacyCheckAvailabilityBody', 'LegacyCreateReservationBody', 'LegacyListReservationsQuery'],
};

const root = path.resolve(__dirname, '../../../..');
const DECORATOR_SOURCES = ['class-validator', 'class-transformer', '@nestjs/swagger', '@parking/contracts'];
const CONFIGURATION = /ServiceEnv\b/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry.name) ? [full] : [];
  });
}

/** Names imported from the libraries whose decorators describe payloads. */
function decoratorImports(file: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    if (!DECORATOR_SOURCES.includes(statement.moduleSpecifier.text)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) bindings.elements.forEach((element) => names.add(element.name.text));
  }
  return names;
}

function decoratorName(decorator: ts.Decorator): string | undefined {
  const call = decorator.expression;
  const callee = ts.isCallExpression(call) ? call.expression : call;
  return ts.isIdentifier(callee) ? callee.text : undefined;
}

/** `app/src/…/file.ts: ClassName` for every class that declares a payload. */
export function payloadClassesUnder(appsDir: string): string[] {
  const found: string[] = [];
  for (const app of readdirSync(appsDir)) {
    const srcDir = path.join(appsDir, app, 'src');
    let files: string[];
    try {
      files = sourceFiles(srcDir);
    } catch {
      continue;
    }
    for (const fileName of files) {
      const file = ts.createSourceFile(fileName, readFileSync(fileName, 'utf8'), ts.ScriptTarget.ES2022, true);
      const imported = decoratorImports(file);
      const visit = (node: ts.Node): void => {
        if (ts.isClassLike(node)) {
          const heritage = node.heritageClauses?.flatMap((clause) => clause.types.map((type) => type.expression.getText(file))) ?? [];
          // Properties only: controllers' methods carry OpenAPI decorators too, and are no payloads.
          const decorated = node.members.some(
            (member) => ts.isPropertyDeclaration(member) && (ts.getDecorators(member) ?? []).some((decorator) => imported.has(decoratorName(decorator) ?? '')),
          );
          if (decorated && !heritage.some((base) => CONFIGURATION.test(base))) {
            found.push(`${path.relative(appsDir, fileName)}: ${node.name?.text ?? '(anonymous class)'}`);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
    }
  }
  return found.sort();
}

describe('one definition per payload', () => {
  it('declares no payload class under apps/*/src but the legacy alias adapters', () => {
    const allowed = Object.entries(LEGACY_ADAPTERS).flatMap(([file, classes]) => classes.map((name) => `${file}: ${name}`));
    expect(payloadClassesUnder(path.join(root, 'apps')).filter((found) => !allowed.includes(found))).toEqual([]);
  });

  it('lists only adapters that still exist, so the list cannot outlive them', () => {
    const present = payloadClassesUnder(path.join(root, 'apps'));
    const listed = Object.entries(LEGACY_ADAPTERS).flatMap(([file, classes]) => classes.map((name) => `${file}: ${name}`));
    expect(listed.filter((entry) => !present.includes(entry))).toEqual([]);
  });

  it('finds a payload class with validation or OpenAPI decorators (the check itself)', () => {
    const probe = path.join(root, 'libs/shared/contracts/src/testing-fixtures');
    expect(payloadClassesUnder(probe)).toEqual(['probe/src/probe.dto.ts: ProbeBody', 'probe/src/probe.dto.ts: ProbeView']);
  });
});
