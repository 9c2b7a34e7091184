import { amqpUrlProblem } from './amqp-url';

describe('amqpUrlProblem', () => {
  it.each([
    'amqp://guest:guest@127.0.0.1:5672',
    'amqps://broker.example',
    'amqp://u:p@[::1]:5672/vhost',
  ])('accepts %s', (value) => expect(amqpUrlProblem(value)).toBeUndefined());

  it.each([
    ['http://x', /not http:\/\//],
    ['rabbitmq', /does not parse as a URL/],
    ['amqp://', /must name the broker host/],
    ['amqp://u:p@broker:99999', /does not parse as a URL/],
  ])('rejects %s', (value, reason) => expect(amqpUrlProblem(value)).toMatch(reason));

  it('never repeats the URL, which may carry a password', () => {
    expect(amqpUrlProblem('http://admin:hunter2@x')).not.toContain('hunter2');
    expect(amqpUrlProblem('not a url hunter2')).not.toContain('hunter2');
  });
});
