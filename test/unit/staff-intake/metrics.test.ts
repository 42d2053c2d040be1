import {
  createStaffApiMetrics,
  METRICS_NAMESPACE,
  REGISTRATION_LAG_METRIC,
} from '../../../functions/staff-api/metrics';

describe('PowertoolsIntakeMetrics', () => {
  it('writes one EMF line per sample with the channel dimension, in seconds', () => {
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(chunk.toString());
      return true;
    });
    try {
      const metrics = createStaffApiMetrics();

      metrics.recordRegistrationLag({ channel: 'mail', seconds: 156600 });
      metrics.recordRegistrationLag({ channel: 'phone', seconds: 30 });
    } finally {
      write.mockRestore();
    }

    const emf = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(emf).toHaveLength(2);
    expect(emf[0]).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: METRICS_NAMESPACE,
            Dimensions: [expect.arrayContaining(['service', 'channel'])],
            Metrics: [{ Name: REGISTRATION_LAG_METRIC, Unit: 'Seconds' }],
          },
        ],
      },
      service: 'staff-api',
      channel: 'mail',
      [REGISTRATION_LAG_METRIC]: 156600,
    });
    expect(emf[1]).toMatchObject({ channel: 'phone', [REGISTRATION_LAG_METRIC]: 30 });
  });
});
