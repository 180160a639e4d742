// Officials: importing a district's venue list from a CSV file (UTF-8, header
// `name,category,unit_code,street,lat,lon`), through the shared CSV import section.

import { venueApi } from '../api-venues';
import { CsvImportSection } from '../csv-import';
import type { App } from '../main';

export function venueImportSection(app: App, onImported: () => void): CsvImportSection {
  return new CsvImportSection(app, {
    prefix: 'import',
    testid: 'venue-import',
    header: 'name,category,unit_code,street,lat,lon',
    text: {
      title: 'import_title',
      intro: 'import_intro',
      file: 'import_file',
      choose: 'import_choose_file',
      submit: 'import_submit',
      done: 'import_done',
      nothingStored: 'import_nothing_stored',
    },
    send: (text) => venueApi.importCsv(text),
    onImported,
  });
}
