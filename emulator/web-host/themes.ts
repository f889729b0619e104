/**
 * The theme a host hands an extension page in the handshake (`themeData`): CSS custom properties the SDK writes on the
 * page's `:root` (`--name: value`) at init and again on a `themeChanged` event. Palette entries are RGB triplets, used
 * as `rgba(var(--palette-primary), 1)`; the named colours are built from them.
 *
 * Values: the Azure DevOps light and dark themes as Microsoft's own extension samples copy them (the host's full
 * theme has many more entries — component and navigation colours; these are the ones a page draws with).
 */
export type ThemeName = 'light' | 'dark';

export interface HostTheme {
  /** `pageContext.globalization.theme`: the id of the host's theme contribution. */
  id: string;
  data: Record<string, string>;
}

const accents = {
  'palette-accent1-light': '249, 235, 235',
  'palette-accent1': '218, 10, 0',
  'palette-accent1-dark': '168, 0, 0',
  'palette-accent2-light': '223, 246, 221',
  'palette-accent2': '186, 216, 10',
  'palette-accent2-dark': '16, 124, 16',
  'palette-accent3-light': '255, 244, 206',
  'palette-accent3': '248, 168, 0',
  'palette-accent3-dark': '220, 182, 122',
};

/** Built from the palette the same way in both themes. */
const named = {
  'background-color': 'rgba(var(--palette-neutral-0), 1)',
  'text-primary-color': 'rgba(var(--palette-neutral-100), .9)',
  'text-secondary-color': 'rgba(var(--palette-neutral-100), .55)',
  'text-disabled-color': 'rgba(var(--palette-neutral-100), .3)',
  'component-grid-row-hover-color': 'rgba(var(--palette-neutral-4), 1)',
  'component-grid-focus-border-color': 'rgba(var(--palette-primary), 1)',
  'component-grid-cell-bottom-border-color': 'rgba(var(--palette-neutral-8), 1)',
  'component-errorBoundary-border-color': 'rgba(var(--palette-accent1), 1)',
  'component-errorBoundary-background-color': 'rgba(var(--palette-accent1-light), 1)',
};

export const HOST_THEMES: Record<ThemeName, HostTheme> = {
  light: {
    id: 'ms.vss-web.vsts-theme',
    data: {
      'palette-primary-shade-30': '0, 69, 120',
      'palette-primary-shade-20': '0, 90, 158',
      'palette-primary-shade-10': '16, 110, 190',
      'palette-primary': '0, 120, 212',
      'palette-primary-tint-10': '43, 136, 216',
      'palette-primary-tint-20': '199, 224, 244',
      'palette-primary-tint-30': '222, 236, 249',
      'palette-primary-tint-40': '239, 246, 252',
      'palette-neutral-100': '0, 0, 0',
      'palette-neutral-80': '51, 51, 51',
      'palette-neutral-70': '76, 76, 76',
      'palette-neutral-60': '102, 102, 102',
      'palette-neutral-30': '166, 166, 166',
      'palette-neutral-20': '200, 200, 200',
      'palette-neutral-10': '218, 218, 218',
      'palette-neutral-8': '234, 234, 234',
      'palette-neutral-6': '239, 239, 239',
      'palette-neutral-4': '244, 244, 244',
      'palette-neutral-2': '248, 248, 248',
      'palette-neutral-0': '255, 255, 255',
      ...accents,
      ...named,
      'component-grid-selected-row-color': 'rgba(var(--palette-primary-tint-40), 1)',
    },
  },
  dark: {
    id: 'ms.vss-web.vsts-theme-dark',
    data: {
      'palette-primary-shade-30': '76, 161, 219',
      'palette-primary-shade-20': '51, 148, 214',
      'palette-primary-shade-10': '25, 135, 209',
      'palette-primary': '0, 97, 163',
      'palette-primary-tint-10': '0, 109, 183',
      'palette-primary-tint-20': '0, 97, 163',
      'palette-primary-tint-30': '0, 85, 142',
      'palette-primary-tint-40': '0, 73, 122',
      'palette-neutral-100': '212, 212, 212',
      'palette-neutral-80': '169, 169, 169',
      'palette-neutral-70': '148, 148, 148',
      'palette-neutral-60': '127, 127, 127',
      'palette-neutral-30': '85, 85, 85',
      'palette-neutral-20': '74, 74, 74',
      'palette-neutral-10': '64, 64, 64',
      'palette-neutral-8': '58, 58, 58',
      'palette-neutral-6': '53, 53, 53',
      'palette-neutral-4': '48, 48, 48',
      'palette-neutral-2': '42, 42, 42',
      'palette-neutral-0': '37, 37, 37',
      ...accents,
      ...named,
      'component-grid-selected-row-color': 'rgba(var(--palette-primary-tint-40), 0.5)',
    },
  },
};

export function isThemeName(value: string | null | undefined): value is ThemeName {
  return value === 'light' || value === 'dark';
}
