// Entry point: wires the controller to the real vscode-languageclient.
import { execFile } from 'child_process';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { languagesOf } from './command';
import { ClientSpec, CraftController, ProcessResult, SECTION } from './controller';

let controller: CraftController | undefined;

export function createClient(spec: ClientSpec): LanguageClient {
  const serverOptions: ServerOptions = {
    command: spec.server.command,
    args: spec.server.args,
    transport: TransportKind.stdio,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: spec.languages.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    outputChannel: spec.outputChannel,
    middleware: spec.middleware,
    initializationOptions: spec.initializationOptions,
    synchronize: { configurationSection: SECTION },
  };
  return new LanguageClient('craftls', 'craftls', serverOptions, clientOptions);
}

export function runProcess(command: string, args: string[], cwd: string | undefined): Promise<ProcessResult> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr || (error && !stderr ? error.message : '')) });
    });
  });
}

export async function activate(context: vscode.ExtensionContext): Promise<CraftController> {
  controller = new CraftController(languagesOf(context.extension.packageJSON), createClient, runProcess);
  context.subscriptions.push(...controller.register(), controller);
  await controller.start();
  return controller;
}

export async function deactivate(): Promise<void> {
  if (controller) {
    await controller.stop();
    controller = undefined;
  }
}
