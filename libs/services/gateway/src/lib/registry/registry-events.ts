import { Injectable } from '@nestjs/common';
import { Broadcasts } from '@stevedore/messaging';
import { ENGINE_EVENTS, imageEvent } from '../engine-images/events/engine-event';
import { pushedName } from './registry-names';

/**
 * RegistryEvents reports `/v2/` pulls and pushes on `docker events`, shaped as dockerd's own
 * image events: Type `image`, Action `pull` or `push`, the Actor the reference acted on
 * (`localhost:5000/team/app:1`, or `…@sha256:…` by digest) with its name as the `name`
 * attribute. One event per manifest GET or PUT (HEAD is a question, not a pull); published
 * fire-and-forget to every gateway replica, as the Engine API's events are.
 */
@Injectable()
export class RegistryEvents {
  constructor(private readonly broadcasts: Broadcasts) {}

  pushed(repository: string, host: string, reference: string): void {
    this.publish('push', repository, host, reference);
  }

  pulled(repository: string, host: string, reference: string): void {
    this.publish('pull', repository, host, reference);
  }

  private publish(action: string, repository: string, host: string, reference: string): void {
    const name = pushedName(repository, host);
    const id = reference.includes(':') ? `${name}@${reference}` : `${name}:${reference}`;
    this.broadcasts.publish(ENGINE_EVENTS, imageEvent(action, id, name));
  }
}
