/**
 * The knobs a failure message may point at: as the editor names them (its settings) and as ec2ic does (its
 * options). Messages are written once, in the editor's words; the CLI translates them with `inCliWords`.
 */
const settingToOption: Record<string, string> = {
  'ec2InstanceConnect.connectTimeout': '--connect-timeout',
  'ec2InstanceConnect.port': '--port',
  'ec2InstanceConnect.connectionType': '--connection-type',
  'ec2InstanceConnect.serialConsole.fingerprint': '--fingerprint',
  'ec2InstanceConnect.serialConsole.endpoint': '--endpoint',
  'ec2InstanceConnect.endpoint': '--endpoint',
  'ec2InstanceConnect.regions': '--region',
};

/** Editor commands a message names that a shell has no use for: said through the option instead. */
const editorOnlyPhrases = [/Choose Connection Type…, or /g, / \(Create Instance Connect Endpoint…\)/g];

/** A failure message in ec2ic's words: "the setting ec2InstanceConnect.port" becomes "the option --port". */
export function inCliWords(message: string): string {
  let text = message;
  for (const phrase of editorOnlyPhrases) text = text.replace(phrase, '');
  return text.replace(/\b(?:the )?setting (ec2InstanceConnect\.[A-Za-z.]*[A-Za-z])/g, (whole, name: string) => {
    const option = settingToOption[name];
    if (!option) return whole;
    return whole.startsWith('the ') ? `the option ${option}` : `option ${option}`;
  });
}
