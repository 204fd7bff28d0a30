import { Prisma } from '@parking/identity/data-access';

/** A unique index refused the row (two registrations raced for one email or slug). */
export function isUniqueViolation(error: unknown): boolean {
  return (
    (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') ||
    (error as { code?: string; cause?: { code?: string } })?.cause?.code === '23505'
  );
}
