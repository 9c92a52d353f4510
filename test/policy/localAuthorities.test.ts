import {
  findLocalAuthority,
  LOCAL_AUTHORITIES,
  localAuthorityLabel,
  matchLocalAuthority,
  suggestLocalAuthorities,
} from '../../policy/localAuthorities';

const REGIONS = ['North East', 'North West', 'Yorkshire and The Humber', 'East Midlands', 'West Midlands', 'East of England', 'London', 'South East', 'South West'];

describe('the local authorities of England', () => {
  it('has the 153 authorities with children’s services, each code three digits and used once', () => {
    expect(LOCAL_AUTHORITIES).toHaveLength(153);
    const codes = LOCAL_AUTHORITIES.map((a) => a.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^\d{3}$/);
  });

  it('names each authority once, even ignoring case and punctuation', () => {
    const names = LOCAL_AUTHORITIES.map((a) => a.name.toLowerCase().replace(/[^a-z]/g, ''));
    expect(new Set(names).size).toBe(names.length);
  });

  it('puts every authority in one of the nine regions, with the number each region has', () => {
    const count = (region: string): number => LOCAL_AUTHORITIES.filter((a) => a.region === region).length;
    for (const a of LOCAL_AUTHORITIES) expect(REGIONS).toContain(a.region);
    expect(REGIONS.map(count)).toEqual([12, 24, 15, 10, 14, 11, 33, 19, 15]);
  });

  it.each([
    ['919', 'Hertfordshire', 'East of England'],
    ['873', 'Cambridgeshire', 'East of England'],
    ['881', 'Essex', 'East of England'],
    ['821', 'Luton', 'East of England'],
    ['822', 'Bedford', 'East of England'],
    ['823', 'Central Bedfordshire', 'East of England'],
    ['202', 'Camden', 'London'],
    ['201', 'City of London', 'London'],
    ['330', 'Birmingham', 'West Midlands'],
    ['938', 'West Sussex', 'South East'],
    ['825', 'Buckinghamshire', 'South East'],
    ['838', 'Dorset', 'South West'],
    ['839', 'Bournemouth, Christchurch and Poole', 'South West'],
    ['933', 'Somerset', 'South West'],
    ['420', 'Isles of Scilly', 'South West'],
    ['940', 'North Northamptonshire', 'East Midlands'],
    ['941', 'West Northamptonshire', 'East Midlands'],
    ['942', 'Cumberland', 'North West'],
    ['943', 'Westmorland and Furness', 'North West'],
    ['815', 'North Yorkshire', 'Yorkshire and The Humber'],
    ['808', 'Stockton-on-Tees', 'North East'],
  ])('%s is %s (%s)', (code, name, region) => {
    expect(LOCAL_AUTHORITIES.find((a) => a.code === code)).toEqual({ code, name, region });
  });

  it('lists no authority abolished by the reorganisations', () => {
    // Dorset County (835), Poole (836), Bournemouth (837), Cumbria (909), Northamptonshire (928).
    for (const code of ['835', '836', '837', '909', '928']) expect(LOCAL_AUTHORITIES.some((a) => a.code === code)).toBe(false);
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(LOCAL_AUTHORITIES)).toBe(true);
    expect(Object.isFrozen(LOCAL_AUTHORITIES[0])).toBe(true);
  });
});

describe('findLocalAuthority', () => {
  it.each([
    ['919', '919'],
    [' 919 ', '919'],
    ['LA 919', '919'],
    ['873', '873'],
    ['Hertfordshire', '919'],
    ['HERTFORDSHIRE', '919'],
    ['Hertfordshire County Council', '919'],
    ['Hertfordshire (919)', '919'],
    ['919 - Hertfordshire', '919'],
    ['HERTS', '919'],
    ['Herts', '919'],
    ['CAMBS', '873'],
    ['Cambridgeshire County Council', '873'],
    ['ESSEX', '881'],
    ['Essex County Council', '881'],
    ['LUTON', '821'],
    ['Luton Borough Council', '821'],
    ['Central Beds', '823'],
    ['Bedford Borough Council', '822'],
    ['N Northants', '940'],
    ['West Northamptonshire Council', '941'],
    ['Brighton & Hove', '846'],
    ['Brighton and Hove City Council', '846'],
    ['City of Bristol', '801'],
    ['Bristol City Council', '801'],
    ['Bristol, City of', '801'],
    ['Kingston upon Hull City Council', '810'],
    ['Hull', '810'],
    ['Herefordshire Council', '884'],
    ['London Borough of Camden', '202'],
    ['Royal Borough of Greenwich', '203'],
    ['City of London', '201'],
    ['City of London Corporation', '201'],
    ['Westminster City Council', '213'],
    ['City of York Council', '816'],
    ['St Helens', '342'],
    ['Saint Helens Council', '342'],
    ['Durham County Council', '840'],
    ['N Yorks', '815'],
    ['NE Lincs', '812'],
    ['W Sussex', '938'],
    ['S Glos', '803'],
    ['B&NES', '800'],
    ['BCP', '839'],
    ['Bournemouth', '839'],
    ['Cheshire West & Chester', '896'],
    ['Stockton-on-Tees Borough Council', '808'],
    ['Isle of Wight Council', '921'],
    ['Bucks', '825'],
    ['Leics', '855'],
    ['837', '839'], // Bournemouth's code before 2019
    ['836', '839'], // Poole's
  ])('%s is %s', (input, code) => {
    expect(findLocalAuthority(input)?.code).toBe(code);
  });

  it.each([
    ['BEDS', ['822', '823']],
    ['Bedfordshire', ['822', '823']],
    ['NORTHANTS', ['940', '941']],
    ['Northamptonshire County Council', ['940', '941']],
    ['928', ['940', '941']],
    ['Cumbria', ['942', '943']],
    ['909', ['942', '943']],
    ['835', ['838', '839']],
    ['Cheshire', ['895', '896']],
    ['Kingston', ['314', '810']],
  ])('refuses %s, which could mean either of two since the reorganisations', (input, codes) => {
    expect(findLocalAuthority(input)).toBeUndefined();
    const match = matchLocalAuthority(input);
    expect(match.kind).toBe('ambiguous');
    expect(match.kind === 'ambiguous' ? match.candidates.map((a) => a.code) : []).toEqual(codes);
  });

  it('settles an ambiguous name with its code, and refuses a name and code that disagree', () => {
    expect(findLocalAuthority('Northamptonshire (940)')?.name).toBe('North Northamptonshire');
    expect(findLocalAuthority('Hertfordshire (873)')).toBeUndefined();
    expect(findLocalAuthority('Herts 881')).toBeUndefined();
  });

  it.each(['', '   ', 'London', 'Narnia', '999', '91', '9190', 'Berkshire', 'Yorkshire'])('finds nothing for %j', (input) => {
    expect(findLocalAuthority(input)).toBeUndefined();
  });
});

describe('localAuthorityLabel', () => {
  it('gives the name and code', () => {
    expect(localAuthorityLabel('919')).toBe('Hertfordshire (919)');
    expect(localAuthorityLabel('Herts')).toBe('Hertfordshire (919)');
    expect(localAuthorityLabel('Hertfordshire (919)')).toBe('Hertfordshire (919)');
    expect(localAuthorityLabel('bristol')).toBe('Bristol, City of (801)');
  });

  it('gives back what it was given when that names no one authority', () => {
    expect(localAuthorityLabel('Narnia')).toBe('Narnia');
    expect(localAuthorityLabel('NORTHANTS')).toBe('NORTHANTS');
  });

  it('every label finds its authority again', () => {
    for (const a of LOCAL_AUTHORITIES) {
      expect(findLocalAuthority(localAuthorityLabel(a.code))).toBe(a);
      expect(findLocalAuthority(a.name)).toBe(a);
      expect(findLocalAuthority(a.name.toUpperCase())).toBe(a);
    }
  });
});

describe('suggestLocalAuthorities', () => {
  const names = (input: string, max?: number): string[] => suggestLocalAuthorities(input, max).map((a) => a.name);

  it('offers both authorities an ambiguous name could mean', () => {
    expect(names('Northants')).toEqual(['North Northamptonshire', 'West Northamptonshire']);
    expect(names('Beds')).toEqual(['Bedford', 'Central Bedfordshire']);
    expect(names('Cumbria')).toEqual(['Cumberland', 'Westmorland and Furness']);
  });

  it('offers names a letter or two away, or that start with or contain what was typed', () => {
    expect(names('Hertfordsire')[0]).toBe('Hertfordshire');
    expect(names('Westmoreland')).toEqual(['Westmorland and Furness']);
    expect(names('Camdn')).toEqual(['Camden']);
    expect(names('Sommerset')).toEqual(['Somerset']);
    expect(names('Cambridge')[0]).toBe('Cambridgeshire');
    expect(names('Yorkshire')).toEqual(['East Riding of Yorkshire', 'North Yorkshire']);
    expect(names('London')).toEqual(['City of London']);
  });

  it('gives the one authority when the input names it, and nothing for nonsense or max 0', () => {
    expect(names('919')).toEqual(['Hertfordshire']);
    expect(names('x')).toEqual([]);
    expect(names('Zzzzzzzz')).toEqual([]);
    expect(names('Hertfordsire', 0)).toEqual([]);
  });

  it('gives at most max', () => {
    expect(suggestLocalAuthorities('Lancaster', 2)).toHaveLength(2);
    expect(suggestLocalAuthorities('Lancaster').length).toBeLessThanOrEqual(3);
  });
});
