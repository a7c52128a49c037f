import assert from "node:assert/strict";
import {
  formatSpikeLaw,
  isDegenerate,
  LAW_SYNTAX,
  lawQuantile,
  parseSpikeLaw,
  type SpikeLaw,
  validateSpikeLaw,
} from "./law.ts";

const badLaw = (spec: string) =>
  new RegExp(`^law must be one of ${escape(LAW_SYNTAX)}, got ${escape(JSON.stringify(spec))}$`);
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

Deno.test("LAW_SYNTAX names the three laws with their parameter ranges", () => {
  assert.equal(LAW_SYNTAX, "uniform, beta:A:B (A, B > 0) or point:S (S >= 0)");
});

Deno.test("parseSpikeLaw: the three laws, with surrounding blanks", () => {
  assert.deepEqual(parseSpikeLaw(" uniform ", 0.5, 4), { kind: "uniform", low: 0.5, high: 4 });
  assert.deepEqual(parseSpikeLaw("beta:2:5", 0.5, 4), {
    kind: "beta",
    a: 2,
    b: 5,
    low: 0.5,
    high: 4,
  });
  assert.deepEqual(parseSpikeLaw("beta: 0.5 :1e-3", 0, 1), {
    kind: "beta",
    a: 0.5,
    b: 1e-3,
    low: 0,
    high: 1,
  });
  assert.deepEqual(parseSpikeLaw("point:0", 9, 1), { kind: "point", value: 0 });
  assert.deepEqual(parseSpikeLaw("point:2.5", 0, 0), { kind: "point", value: 2.5 });
});

Deno.test("parseSpikeLaw: every malformed name is a RangeError quoting it", () => {
  for (
    const spec of [
      "uniform:1",
      "Uniform",
      "beta",
      "beta:2",
      "beta:2:5:1",
      "beta:0:1",
      "beta:1:0",
      "beta:-1:1",
      "beta: :1",
      "beta:1:",
      "beta:Infinity:1",
      "beta:1:NaN",
      "point",
      "point:",
      "point: ",
      "point:-1",
      "point:1:2",
      "point:Infinity",
      "",
      "gamma:1",
    ]
  ) {
    assert.throws(() => parseSpikeLaw(spec, 0.5, 4), (e: unknown) => {
      assert.ok(e instanceof RangeError, `${spec}: ${e}`);
      assert.match(e.message, badLaw(spec));
      return true;
    }, spec);
  }
  assert.throws(() => parseSpikeLaw(3, 0.5, 4), {
    name: "TypeError",
    message: `law must be one of ${LAW_SYNTAX}, got 3`,
  });
  // The support is checked for uniform and beta laws, not for point masses.
  for (const spec of ["uniform", "beta:2:2"]) {
    assert.throws(() => parseSpikeLaw(spec, 4, 4), {
      name: "RangeError",
      message: "m_lo must be less than m_hi, got m_lo=4, m_hi=4",
    });
    assert.throws(() => parseSpikeLaw(spec, -1, 4), /^RangeError: m_lo must be/);
  }
});

Deno.test("validateSpikeLaw: returns the law itself, or names the bad field", () => {
  const laws: SpikeLaw[] = [
    { kind: "uniform", low: 0, high: 1 },
    { kind: "beta", a: 0.5, b: 3, low: 1, high: 2 },
    { kind: "point", value: 0 },
  ];
  for (const law of laws) assert.equal(validateSpikeLaw(law), law);
  const cases: [unknown, string, string][] = [
    [null, "TypeError", "law must be a SpikeLaw object, got null"],
    ["uniform", "TypeError", 'law must be a SpikeLaw object, got "uniform"'],
    [{ kind: "uniform", low: 2, high: 1 }, "RangeError", "m_lo must be less than m_hi"],
    [{ kind: "beta", a: 0, b: 1, low: 0, high: 1 }, "RangeError", "law.a must be"],
    [{ kind: "beta", a: 1, b: -2, low: 0, high: 1 }, "RangeError", "law.b must be"],
    [{ kind: "beta", a: 1, b: 1, low: 1, high: 1 }, "RangeError", "m_lo must be less than"],
    [{ kind: "point", value: -1 }, "RangeError", "law.value must be a finite number >= 0"],
    [
      { kind: "normal" },
      "RangeError",
      'law.kind must be one of uniform, beta, point, got "normal"',
    ],
  ];
  for (const [law, name, message] of cases) {
    assert.throws(() => validateSpikeLaw(law as SpikeLaw), (e: unknown) => {
      assert.equal((e as Error).name, name, String(e));
      assert.ok((e as Error).message.startsWith(message), (e as Error).message);
      return true;
    });
  }
});

Deno.test("formatSpikeLaw: the CLI name with its support; invalid laws are refused", () => {
  assert.equal(formatSpikeLaw(parseSpikeLaw("uniform", 0.5, 4)), "uniform[0.5, 4]");
  assert.equal(formatSpikeLaw(parseSpikeLaw("beta:2:5", 0.2, 3)), "beta(2, 5)[0.2, 3]");
  assert.equal(formatSpikeLaw(parseSpikeLaw("point:1.5", 0, 0)), "point(1.5)");
  assert.throws(() => formatSpikeLaw({ kind: "point", value: -1 }), /law\.value/);
});

Deno.test("isDegenerate: only point masses", () => {
  assert.equal(isDegenerate({ kind: "point", value: 1 }), true);
  assert.equal(isDegenerate({ kind: "uniform", low: 0, high: 1 }), false);
  assert.equal(isDegenerate({ kind: "beta", a: 1, b: 1, low: 0, high: 1 }), false);
});

Deno.test("lawQuantile: endpoints, the median, and u outside [0, 1] refused", () => {
  const uniform = parseSpikeLaw("uniform", 0.5, 4);
  assert.equal(lawQuantile(uniform, 0), 0.5);
  assert.equal(lawQuantile(uniform, 1), 4);
  assert.equal(lawQuantile(uniform, 0.5), 2.25);
  // Beta(2, 2) is symmetric: its median is the middle of the support.
  const beta = parseSpikeLaw("beta:2:2", 1, 3);
  assert.ok(Math.abs(lawQuantile(beta, 0.5) - 2) < 1e-12);
  assert.ok(lawQuantile(beta, 0.25) < 2 && lawQuantile(beta, 0.25) > 1);
  assert.equal(lawQuantile({ kind: "point", value: 7 }, 0.3), 7);
  for (const u of [-1e-12, 1 + 1e-12, NaN, Infinity, "0.5"]) {
    assert.throws(() => lawQuantile(uniform, u as number), {
      name: "RangeError",
      message: `u must be a probability in [0, 1], got ${
        typeof u === "string" ? JSON.stringify(u) : String(u)
      }`,
    });
  }
  assert.throws(() => lawQuantile({ kind: "uniform", low: 3, high: 1 }, 0.5), /m_lo must be/);
});
