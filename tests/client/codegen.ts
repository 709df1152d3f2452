// Types for the operations of `operations/`, generated from the committed SDL (the one the
// server's code produces): a change to the schema that breaks an operation breaks `tsc`.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../../schema.graphql",
  documents: ["operations/*.graphql"],
  ignoreNoDocuments: false,
  // Relative imports end in `.js`, as Node.js's ES modules (and tsc's NodeNext) require.
  emitLegacyCommonJSImports: false,
  generates: {
    "generated/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        // Every scalar of the schema must be named here: a new one fails the generation.
        strictScalars: true,
        scalars: { Date: "string", DateTime: "string", Upload: "File" },
        enumsAsTypes: true,
        useTypeImports: true,
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
      },
    },
  },
};

export default config;
