/*
 * Every string of the synthesized JSON is a Terraform template: `${…}` interpolates and `%{…}` is a
 * directive, wherever the text came from. cdktf writes plain strings as they are (it escapes nothing: its own
 * references are `${TfToken[…]}` markers it resolves to `${…}`), so a config value with `${` or `%{` would be
 * evaluated by Terraform, or fail the plan, instead of reaching AWS as written.
 *
 * Free text of the config (text whose rule lets it hold `${` or `%{`) goes through `terraformLiteral` where a
 * construct puts it in a Terraform string; each such field is decided once:
 * - carried: `terraformLiteral` escapes it, and Terraform reads back exactly the text of the config
 *   (`alarmEmail`: an e-mail address may hold `${`);
 * - refused by validation where `${` or `%{` can never be meaningful (`contentSecurityPolicy`: no CSP source
 *   holds either), and still escaped here for code that builds the construct without the config;
 * - never in a template: the application's environment, secrets and command travel base64-encoded in the
 *   user data (modules/app-servers.ts), suppression reasons in `//` comments Terraform does not read.
 * Every other field's rule excludes `$`, `%` or `{`; __tests__/terraform-literals.test.ts checks that of each
 * field of the schema, so a new free-text field has to be decided here.
 */

/** cdktf's marker of a string token (`${TfToken[TOKEN.12]}`): resolved by cdktf, not literal text. */
const STRING_TOKEN = /(\$\{TfToken\[[a-zA-Z0-9:._-]+\]\})/;

/** `text` as Terraform must read it to see `text`: `${` written `$${`, `%{` written `%%{` (cdktf tokens kept). */
export function terraformLiteral(text: string): string {
  // Odd parts are the tokens split out; the replacement is a function because `$$` in a replacement string is one `$`.
  return text
    .split(STRING_TOKEN)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{')))
    .join('');
}
