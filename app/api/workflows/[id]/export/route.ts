/** GET /api/workflows/[id]/export: my workflow as a JSON file to download (an import reads it back). */
import { notFound, withSessionUser } from "@/app/_lib/route";
import { getDb } from "@/db/client";
import { parseId } from "@/lib/ownership/owned";
import { exportWorkflow } from "@/lib/workflows/store";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Ctx = { params: Promise<{ id: string }> };

export const GET = withSessionUser<Ctx>(async (_request, user, { params }) => {
  const id = parseId((await params).id);
  if (!id) return notFound();
  const file = await exportWorkflow(getDb(), user.id, id);
  if (!file) return notFound();
  return new Response(file.json, {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${file.fileName}"`,
      "cache-control": "no-store",
    },
  });
});
