/** Every form action, grouped by domain: `actions.<domain>.<name>`. A domain adds one line. */
import { accounts } from './accounts';

export const server = {
  accounts,
};
