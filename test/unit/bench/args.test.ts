import { JSON_PARTS, PARTS, parseArgs } from '../../../bench/args';

describe('bench arguments', () => {
  it('runs every part without --json, and only the parts the JSON object reports with it', () => {
    expect([...parseArgs([]).only]).toEqual([...PARTS]);
    expect(parseArgs([]).json).toBe(false);

    const json = parseArgs(['--json']);

    expect(json.json).toBe(true);
    expect([...json.only]).toEqual(['intake', 'year', 'bundles', 'cold-start']);
    expect(JSON_PARTS.every((part) => PARTS.includes(part))).toBe(true);
  });

  it('lets --only choose the parts with --json too, in either order', () => {
    expect([...parseArgs(['--json', '--only', 'cold-start']).only]).toEqual(['cold-start']);
    expect([...parseArgs(['--only=year,bundles', '--json']).only]).toEqual(['year', 'bundles']);
  });

  it('sizes the year with --cases, as a separate or an inline value', () => {
    expect(parseArgs([]).cases).toBe(2000);
    expect(parseArgs(['--json', '--cases', '60']).cases).toBe(60);
    expect(parseArgs(['--cases=6', '--json']).cases).toBe(6);
  });

  it('sizes the what-if’s year with --what-if-cases, 2,000 unless given', () => {
    expect(parseArgs([]).whatIfCases).toBe(2000);
    expect(parseArgs(['--only', 'what-if', '--what-if-cases', '20000']).whatIfCases).toBe(20_000);
    expect(() => parseArgs(['--what-if-cases', '0'])).toThrow('--what-if-cases needs a positive integer.');
  });

  it('runs the year report on the realistic mix unless --report-year-mix says scripted', () => {
    expect(parseArgs([]).reportYearMix).toBe('realistic');
    expect(parseArgs(['--report-year-mix', 'scripted']).reportYearMix).toBe('scripted');
    expect(parseArgs(['--report-year-mix=realistic']).reportYearMix).toBe('realistic');
    expect(() => parseArgs(['--report-year-mix', 'busy'])).toThrow(
      '--report-year-mix takes one of realistic, scripted.',
    );
  });

  it('seeds the year report into dynalite unless --report-year-store says memory', () => {
    expect(parseArgs([]).reportYearStore).toBe('dynalite');
    expect(parseArgs(['--only', 'report-year', '--report-year-store', 'memory']).reportYearStore).toBe(
      'memory',
    );
    expect(parseArgs(['--report-year-store=memory-http']).reportYearStore).toBe('memory-http');
    expect(parseArgs(['--report-year-store=dynalite']).reportYearStore).toBe('dynalite');
    expect(() => parseArgs(['--report-year-store', 'disk'])).toThrow(
      '--report-year-store takes one of dynalite, memory, memory-http.',
    );
  });

  it('refuses a malformed value or an unknown option, naming it', () => {
    expect(() => parseArgs(['--cases', '0'])).toThrow('--cases needs a positive integer.');
    expect(() => parseArgs(['--cases'])).toThrow('--cases needs a positive integer.');
    expect(() => parseArgs(['--json=yes'])).toThrow('--json takes no value.');
    expect(() => parseArgs(['--only', 'year,coldstart'])).toThrow(/--only takes a list of .*cold-start/);
    expect(() => parseArgs(['--jsn'])).toThrow(/Unknown option --jsn\. Options: --json/);
  });
});
