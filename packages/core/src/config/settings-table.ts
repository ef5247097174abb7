import { SETTINGS } from './settings';

/** The configuration table as Markdown, for docs/configuration.md (kept in sync by a test). */
export function renderSettingsTable(): string {
  const rows = SETTINGS.map((setting) => {
    const cells = [`\`${setting.option}\``, setting.env ? `\`${setting.env}\`` : '—', setting.defaultText, setting.meaning];
    return `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
  });
  return ['| option | environment variable | default | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
