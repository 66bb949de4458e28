import { api, intParam, json } from '~/lib/http/api';
import { noteInput } from '~/lib/settlement/schemas';
import { addNote, loadCase } from '~/lib/settlement/service';

export const POST = api(async ({ ctx, db, body, requireUser }) => {
  const user = requireUser();
  const id = intParam(ctx.params.id);
  loadCase(db, user, id);
  const note = addNote(db, user, id, (await body(noteInput)).body);
  return json({ id: note.id, body: note.body, at: note.createdAt.toISOString() }, 201);
});
