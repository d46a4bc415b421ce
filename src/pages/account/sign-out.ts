/** POST /account/sign-out[?everywhere=1]: ends this session (or every session of the person). */
import type { APIRoute } from "astro";
import { signOut } from "../../server/auth/actions";
import { handle } from "../../server/http";

export const POST: APIRoute = handle((ctx) => signOut(ctx, ctx.url.searchParams.get("everywhere") === "1"));
