// package: zod@3.23.8
// load: lib/index.umd.js
// A schema validator: schemas with refinements and transforms built in setup.
var { z } = Zod;
var User = z.object({ name: z.string().min(2), age: z.number().int().positive().optional(), tags: z.array(z.enum(["a", "b"])).default([]) })
  .refine((u) => u.name !== "root", { message: "reserved name" });
var Slug = z.string().transform((s) => s.toLowerCase().replace(/\s+/g, "-"));
var good = User.safeParse({ name: "ann", age: 3 });
// probe
console.log(JSON.stringify(good), JSON.stringify(User.safeParse({ name: "r", age: -1, tags: ["c"] }).error.issues.map((i) => [i.path.join("."), i.code])));
console.log(Slug.parse("Hello Big World"), JSON.stringify(User.safeParse({ name: "root" }).error.issues[0].message));
console.log(JSON.stringify(z.union([z.number(), z.string()]).array().parse([1, "x"])), z.string().email().safeParse("nope").success);
