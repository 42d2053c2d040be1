import type { Metafile } from 'esbuild';

import { coldStartRatio, sdkBaselineSource, sdkPackagesOf } from '../../../bench/cold-start';

describe('cold start ratio', () => {
  it('divides the median load of the bundle by the median load of its baseline', () => {
    expect(coldStartRatio([300, 90, 310, 5000, 305], [100, 150, 99, 101, 2])).toBe(3.05);
    expect(coldStartRatio([10], [10])).toBe(1);
  });

  it('refuses a baseline of zero or no samples', () => {
    expect(() => coldStartRatio([10], [0])).toThrow(RangeError);
    expect(() => coldStartRatio([10], [])).toThrow(RangeError);
    expect(() => coldStartRatio([], [10])).toThrow(RangeError);
  });
});

describe('cold start baseline', () => {
  const metafile = {
    inputs: {
      'functions/form-intake/index.ts': {
        bytes: 1,
        imports: [
          { path: '@aws-sdk/client-sfn', kind: 'import-statement', external: true },
          { path: '@aws-sdk/lib-dynamodb', kind: 'import-statement', external: true },
          { path: 'shared/adapters/dynamodb/index.ts', kind: 'import-statement' },
        ],
      },
      'shared/adapters/dynamodb/index.ts': {
        bytes: 1,
        imports: [
          { path: '@aws-sdk/client-dynamodb', kind: 'import-statement', external: true },
          { path: '@aws-sdk/client-sfn', kind: 'require-call', external: true },
          { path: '@aws-sdk/lib-dynamodb/dist-cjs/commands', kind: 'require-call', external: true },
          { path: 'pdfkit', kind: 'import-statement', external: true },
        ],
      },
    },
    outputs: {},
  } as unknown as Metafile;

  it('finds the AWS SDK packages the bundle imports, each once, sorted, and no other external', () => {
    expect(sdkPackagesOf(metafile)).toEqual([
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/client-sfn',
      '@aws-sdk/lib-dynamodb',
    ]);
  });

  it('requires each package and constructs the client of each client package, and does nothing else', () => {
    const source = sdkBaselineSource(['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'], {
      '@aws-sdk/client-dynamodb': 'DynamoDBClient',
    });
    const required: string[] = [];
    const constructed: unknown[] = [];
    class DynamoDBClient {
      constructor(config: unknown) {
        constructed.push(config);
      }
    }
    const fakeRequire = (name: string) => {
      required.push(name);
      return name === '@aws-sdk/client-dynamodb' ? { DynamoDBClient } : {};
    };

    new Function('require', source)(fakeRequire);

    expect(required).toEqual(['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb']);
    expect(constructed).toEqual([{}]);
  });
});
