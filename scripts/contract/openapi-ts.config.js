// @hey-api/openapi-ts: the SDK the contract check compiles and runs. Node
// runs the compiled output as ES modules, so imports name their .js files.
export default {
  input: "../../api/openapi.yaml",
  output: { path: "gen/hey-api", module: { extension: ".js" } },
};
