/**
 * GET /api/portfolio/allocations/<id> → one saved allocation of the caller with its rows;
 * DELETE → removes it and its rows (204). Another user's id, like an unknown one, is 404.
 */
import { NextResponse } from "next/server";
import { savedAllocationJson } from "@/app/_lib/portfolio-json";
import { json, NO_STORE, notFound, withSessionUser } from "@/app/_lib/route";
import { getDb } from "@/db/client";
import { parseId } from "@/lib/ownership/owned";
import { deleteSavedAllocation, getSavedAllocation } from "@/lib/portfolio/saved";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Ctx = { params: Promise<{ id: string }> };

export const GET = withSessionUser<Ctx>(async (_request, user, { params }) => {
  const id = parseId((await params).id);
  const saved = id && (await getSavedAllocation(getDb(), user.id, id));
  return saved ? json(savedAllocationJson(saved)) : notFound();
});

export const DELETE = withSessionUser<Ctx>(async (_request, user, { params }) => {
  const id = parseId((await params).id);
  if (!id || !(await deleteSavedAllocation(getDb(), user.id, id))) return notFound();
  return new NextResponse(null, { status: 204, headers: NO_STORE });
});
