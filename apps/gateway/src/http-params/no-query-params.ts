/**
 * `@Query() _query: NoQueryParams` on a route that takes no query parameters: the global
 * validation pipe (forbidNonWhitelisted) then answers any parameter with a 400 naming it.
 */
export class NoQueryParams {}
