import { databasePath, openDatabase } from '@db/client';

openDatabase().$client.close();
console.log(`Migrated ${databasePath()}`);
