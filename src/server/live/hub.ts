import type { Role } from '../../core/roles.js';

/** One Server-Sent Event. `type` becomes the SSE event name, `data` its JSON payload. */
export interface LiveEvent {
  type: string;
  data: unknown;
}

/** A connected browser tab or integration, as the hub knows it. */
export interface LiveClient {
  readonly id: string;
  readonly tenantId: string;
  readonly role: Role;
  readonly userId: string | null;
  /** The API token the stream was opened with (null for a browser session). */
  readonly tokenId: string | null;
  send(event: LiveEvent): void;
  /** Ends the stream (server shutdown). */
  close(): void;
}

/**
 * Fans events out to the clients of one tenant. In-process: with several app servers
 * behind a load balancer, each server's hub delivers what happens on that server; a
 * PostgreSQL LISTEN/NOTIFY relay between hubs is the next step (see docs/live.md).
 */
export class LiveHub {
  private readonly tenants = new Map<string, Map<string, LiveClient>>();
  private readonly removedListeners = new Set<(client: LiveClient) => void>();

  /** Calls `listener` whenever a client leaves (its stream closed); returns the function that unsubscribes. */
  onClientRemoved(listener: (client: LiveClient) => void): () => void {
    this.removedListeners.add(listener);
    return () => {
      this.removedListeners.delete(listener);
    };
  }

  private removed(client: LiveClient): void {
    for (const listener of [...this.removedListeners]) {
      try {
        listener(client);
      } catch (error) {
        console.error('attain: a live-client listener failed', error);
      }
    }
  }

  /** Registers a client; returns the function that removes it. */
  add(client: LiveClient): () => void {
    let clients = this.tenants.get(client.tenantId);
    if (!clients) {
      clients = new Map();
      this.tenants.set(client.tenantId, clients);
    }
    clients.set(client.id, client);
    return () => {
      const current = this.tenants.get(client.tenantId);
      if (current?.get(client.id) !== client) return;
      current.delete(client.id);
      if (current.size === 0) this.tenants.delete(client.tenantId);
      this.removed(client);
    };
  }

  /** Sends to the tenant's clients that pass `to` (all by default); returns how many got it. */
  publish(tenantId: string, event: LiveEvent, to: (client: LiveClient) => boolean = () => true): number {
    let delivered = 0;
    for (const client of this.tenants.get(tenantId)?.values() ?? []) {
      if (!to(client)) continue;
      client.send(event);
      delivered += 1;
    }
    return delivered;
  }

  /** Ends every stream, so a shutting-down server does not wait for browsers to leave. */
  closeAll(): void {
    const all = [...this.tenants.values()].flatMap((clients) => [...clients.values()]);
    this.tenants.clear();
    for (const client of all) {
      client.close();
      this.removed(client);
    }
  }

  client(tenantId: string, id: string): LiveClient | undefined {
    return this.tenants.get(tenantId)?.get(id);
  }

  size(tenantId?: string): number {
    if (tenantId) return this.tenants.get(tenantId)?.size ?? 0;
    let total = 0;
    for (const clients of this.tenants.values()) total += clients.size;
    return total;
  }
}

/** Formats one SSE frame. Data is JSON on one line, so no field can break the frame. */
export function formatSse(event: LiveEvent, id?: number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
}
