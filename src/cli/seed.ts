import { databasePath, openDatabase } from '@db/client';
import { seed } from '@db/seed';

const db = openDatabase();
await seed(db, (line) => console.log(line));
db.$client.close();
console.log(`Demo data is in ${databasePath()}`);
