import { INestMicroservice } from '@nestjs/common';
import { ClientProxy, ClientProxyFactory } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { Bus } from '../lib/bus';
import { rmqClientOptions, rmqServerOptions } from '../lib/rmq/rmq.options';
import { describeBusContract } from './bus-contract';
import { startEchoService } from './echo.fixture';

// Real RabbitMQ on 127.0.0.1:5672; every run uses its own owner name so queues never collide.
const url = process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
const owner = `echo-test-${randomUUID().slice(0, 8)}`;

let app: INestMicroservice;
let client: ClientProxy;
let bus: Bus;

beforeAll(async () => {
  const server = rmqServerOptions(owner, url, 4);
  server.options = { ...server.options, queueOptions: { durable: false, autoDelete: true } };
  app = await startEchoService(server);
  const clientOptions = rmqClientOptions(owner, url);
  clientOptions.options = {
    ...clientOptions.options,
    queueOptions: { durable: false, autoDelete: true },
  };
  client = ClientProxyFactory.create(clientOptions);
  await client.connect();
  bus = new Bus((pattern) => (pattern.startsWith('nobody.') ? deadClient() : client));
});

afterAll(async () => {
  await client?.close();
  await app?.close();
  await dead?.close();
});

let dead: ClientProxy | undefined;
function deadClient(): ClientProxy {
  const options = rmqClientOptions(`${owner}-nobody`, url);
  // A queue nobody consumes: let RabbitMQ drop it (and its message) a minute after the test.
  options.options = { ...options.options, queueOptions: { durable: false, expires: 60_000 } };
  dead ??= ClientProxyFactory.create(options);
  return dead;
}

describeBusContract('RabbitMQ', () => bus);

describe('RabbitMQ requests', () => {
  // A request may carry a registry password: a persistent message would put it on the broker's disk.
  it('are sent as transient messages', async () => {
    expect(await bus.send('echo.delivery.persistent.v1', {})).toEqual({ persistent: false });
  });
});
