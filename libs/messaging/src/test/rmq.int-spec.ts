import { INestMicroservice } from '@nestjs/common';
import { ClientProxy, ClientProxyFactory } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import { Bus } from '../lib/bus';
import { rmqClientOptions, rmqServerOptions } from '../lib/rmq/rmq.options';
import { RmqStreamCancelSender, listenForStreamCancels } from '../lib/rmq/stream-cancels';
import { describeBusContract } from './bus-contract';
import { EchoHandler, startEchoService } from './echo.fixture';

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

describe('RabbitMQ streams', () => {
  it('stop in the handler when their caller leaves before the end', async () => {
    const namespace = `echo-test-${randomUUID().slice(0, 8)}`;
    const listener = listenForStreamCancels(url, namespace);
    const sender = new RmqStreamCancelSender(url, namespace);
    const leaving = new Bus(
      () => client,
      (id) => sender.send(id),
    );
    try {
      await listener.ready;
      // firstValueFrom leaves the stream after its first reply.
      expect(await firstValueFrom(leaving.stream('echo.number.forever.v1', {}))).toEqual({ n: 1 });
      for (const deadline = Date.now() + 5_000; EchoHandler.running > 0 && Date.now() < deadline;)
        await new Promise((r) => setTimeout(r, 20));
      expect(EchoHandler.running).toBe(0);
    } finally {
      await sender.close();
      await listener.close();
    }
  });
});
