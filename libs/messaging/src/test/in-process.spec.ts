import { INestMicroservice } from '@nestjs/common';
import { Bus } from '../lib/bus';
import { InProcessBroker } from '../lib/in-process/in-process.broker';
import { InProcessClient } from '../lib/in-process/in-process.client';
import { InProcessServer } from '../lib/in-process/in-process.server';
import { describeBusContract } from './bus-contract';
import { startEchoService } from './echo.fixture';

let app: INestMicroservice;
let bus: Bus;

beforeAll(async () => {
  const broker = new InProcessBroker();
  app = await startEchoService({ strategy: new InProcessServer(broker) });
  const client = new InProcessClient(broker);
  bus = new Bus(() => client);
});

afterAll(async () => {
  await app?.close();
});

describeBusContract('in-process', () => bus);
