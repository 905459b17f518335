import { describeRequestStoreContract } from '../storage/requestStoreContract';
import { InMemoryRequestData } from './fakes/inMemoryRequestStore';

// The fake the requests unit tests run on keeps the same promises as SQLite and Azure Tables.
describeRequestStoreContract('the in-memory store', async () => {
  const data = new InMemoryRequestData();
  return { open: async () => data.open(), dispose: async () => {} };
});
