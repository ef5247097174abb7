import { OtlpReceiver } from '@threadline/testing';

/**
 * One OTLP receiver for a test file: listening before the first test, emptied before each,
 * stopped after the last.
 */
export function useReceiver(): OtlpReceiver {
  const receiver = new OtlpReceiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());
  beforeEach(() => receiver.clear());
  return receiver;
}
