import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ACQUIRE_LEASE_V1,
  ACQUIRE_SLOT_V1,
  AcquireLeaseV1,
  AcquireSlotV1,
  GET_LEASE_V1,
  GetLeaseV1,
  LeaseStateV1,
  LeaseV1,
  RELEASE_LEASE_V1,
  ReleaseLeaseV1,
  SlotV1,
} from '@stevedore/contracts';

/**
 * LeaseStandIn answers the metadata service's lease messages from memory, so the fetcher can be
 * tested alone (this library may not depend on the metadata service). The real leases, in SQLite
 * behind the metadata service, are exercised by the system end-to-end suites.
 */
@Controller()
export class LeaseStandIn {
  private readonly leases = new Map<string, { holder: string; expires: number }>();

  @MessagePattern(ACQUIRE_LEASE_V1)
  acquire(@Payload() request: AcquireLeaseV1): LeaseV1 {
    const now = Date.now();
    const current = this.leases.get(request.key);
    if (!current || current.holder === request.holder || current.expires < now) {
      this.leases.set(request.key, { holder: request.holder, expires: now + request.ttlMs });
    }
    const lease = this.leases.get(request.key) as { holder: string; expires: number };
    return {
      acquired: lease.holder === request.holder,
      holder: lease.holder,
      expiresAt: new Date(lease.expires).toISOString(),
    };
  }

  @MessagePattern(GET_LEASE_V1)
  get(@Payload() request: GetLeaseV1): LeaseStateV1 {
    const lease = this.leases.get(request.key);
    return lease && lease.expires >= Date.now()
      ? { holder: lease.holder, expiresAt: new Date(lease.expires).toISOString() }
      : {};
  }

  @MessagePattern(ACQUIRE_SLOT_V1)
  slot(@Payload() request: AcquireSlotV1): SlotV1 {
    for (let i = 0; i < request.limit; i += 1) {
      const key = `${request.scope}#${i}`;
      if (this.acquire({ key, holder: request.holder, ttlMs: request.ttlMs }).acquired)
        return { acquired: true, key };
    }
    return { acquired: false };
  }

  @MessagePattern(RELEASE_LEASE_V1)
  release(@Payload() request: ReleaseLeaseV1): { ok: true } {
    if (this.leases.get(request.key)?.holder === request.holder) this.leases.delete(request.key);
    return { ok: true };
  }
}
