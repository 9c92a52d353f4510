// Type helpers that turn the Azure SDK's client models into the shapes Resource Manager reads in a
// template. The SDK flattens a resource's `properties` into the resource itself, gives some fields
// friendlier names than the wire does, and lets polymorphic types take any extra key; a template
// needs the wire shape, so these helpers undo exactly that and nothing more, keeping the SDK's types
// for every value.

/** The keys a template puts around `properties`, never inside it. */
export type EnvelopeKey = 'id' | 'name' | 'type' | 'location' | 'tags' | 'identity' | 'kind' | 'sku' | 'etag' | 'systemData' | 'extendedLocation' | 'zones' | 'managedBy';

/**
 * T without its `[key: string]: any` index signature. Polymorphic SDK models carry one so the client
 * can round-trip fields it does not know; left in, it would let a misspelt key through unchecked.
 */
export type WithoutIndex<T> = {
  [K in keyof T as string extends K ? never : number extends K ? never : symbol extends K ? never : K]: T[K];
};

/**
 * A flattened SDK resource model reduced to what belongs under `properties`. `Keep` names an
 * envelope-like key that this resource type carries inside `properties` instead (a Log Analytics
 * workspace's `sku`).
 */
export type PropertiesOf<T, Keep extends EnvelopeKey = never> = Omit<WithoutIndex<T>, Exclude<EnvelopeKey, Keep>>;

/**
 * T with some keys renamed to their wire names (the SDK's serialisers do the same renaming at run
 * time, for example enableHttpsTrafficOnly → supportsHttpsTrafficOnly). Optionality is kept.
 */
export type Renamed<T, Names extends { [K in keyof T]?: string }> = {
  [K in keyof T as K extends keyof Names ? (Names[K] extends string ? Names[K] : K) : K]: T[K];
};
