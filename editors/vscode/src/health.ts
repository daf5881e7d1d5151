// Turning a `craftls/health` payload into what the language status item shows.

export type Severity = 0 | 1 | 2; // vscode.LanguageStatusSeverity: Information, Warning, Error

export interface HealthView {
  status: string;
  text: string;
  detail: string;
  severity: Severity;
}

interface ServicePayload {
  status?: unknown;
  message?: unknown;
}

const ICONS: Record<string, string> = {
  healthy: '$(check)',
  degraded: '$(warning)',
  unhealthy: '$(error)',
};

export function isHealthPayload(value: unknown): value is { status: string; services?: Record<string, ServicePayload>; time?: string } {
  return typeof value === 'object' && value !== null && typeof (value as { status?: unknown }).status === 'string';
}

export function describeHealth(payload: unknown): HealthView {
  if (!isHealthPayload(payload)) {
    return { status: 'unknown', text: '$(question) craftls', detail: 'no health data', severity: 1 };
  }
  const status = payload.status;
  const services = payload.services && typeof payload.services === 'object' ? payload.services : {};
  const parts: string[] = [];
  for (const [name, service] of Object.entries(services)) {
    const s = typeof service?.status === 'string' ? service.status : '?';
    const message = typeof service?.message === 'string' && service.message ? ` (${service.message})` : '';
    parts.push(`${name}: ${s}${message}`);
  }
  const severity: Severity = status === 'healthy' ? 0 : status === 'degraded' ? 1 : 2;
  return {
    status,
    text: `${ICONS[status] ?? '$(question)'} craftls ${status}`,
    detail: parts.join(' · ') || (payload.time ? `at ${payload.time}` : ''),
    severity,
  };
}

export function stateView(state: 'starting' | 'stopped' | 'failed', message = ''): HealthView {
  switch (state) {
    case 'starting':
      return { status: 'starting', text: '$(sync~spin) craftls starting', detail: message, severity: 0 };
    case 'stopped':
      return { status: 'stopped', text: '$(debug-stop) craftls stopped', detail: message, severity: 1 };
    default:
      return { status: 'failed', text: '$(error) craftls failed', detail: message, severity: 2 };
  }
}
