/** Errors a store raises besides the port's own (VersionConflictError, RequestNotFoundError, RequestAlreadyExistsError). */

/** A request too big for the store's entity limit, even compressed. */
export class RequestTooLargeError extends Error {
  constructor(
    readonly requestId: string,
    readonly sizeBytes: number,
    readonly limitBytes: number,
  ) {
    super(
      `Request ${requestId} takes ${sizeBytes} bytes compressed, more than the ${limitBytes} bytes ` +
        'one stored request may hold; split the members over several requests.',
    );
    this.name = 'RequestTooLargeError';
  }
}

/** A call that breaks the store's contract (wrong version, bad limit, bad name): a caller bug. */
export class RequestStoreUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestStoreUsageError';
  }
}

/** Store options or a store file that cannot be used as they are. */
export class RequestStoreConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestStoreConfigurationError';
  }
}
