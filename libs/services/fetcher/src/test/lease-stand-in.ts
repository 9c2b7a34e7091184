import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ACQUIRE_LEASE_V1, AcquireLeaseV1, LeaseV1, RELEASE_LEASE_V1, ReleaseLeaseV1 } from '@stevedore/contracts';

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
    return { acquired: lease.holder === request.holder, holder: lease.holder, expiresAt: new Date(lease.expires).toISOString() };
  }

  @MessagePattern(RELEASE_LEASE_V1)
  release(@Payload() request: ReleaseLeaseV1): { ok: true } {
    if (this.leases.get(request.key)?.holder === request.holder) this.leases.delete(request.key);
    return { ok: true };
  }
}
