/** The providers `hakoc init` writes a spec for. */
export const INIT_PROVIDERS = ['gce', 'vagrant'] as const;

/** One of {@link INIT_PROVIDERS}. */
export type InitProvider = (typeof INIT_PROVIDERS)[number];
