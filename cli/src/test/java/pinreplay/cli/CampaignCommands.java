package pinreplay.cli;

import picocli.CommandLine;

import pinreplay.campaign.CellRunner;

/** The campaign command with another cell runner, and the same error handling and exit codes as {@link Main}. */
public final class CampaignCommands {
    private CampaignCommands() {
    }

    public static CommandLine withRunner(CellRunner runner) {
        CommandLine cl = new CommandLine(new CampaignCommand(runner));
        cl.setExitCodeExceptionMapper(ExitCodes::forException);
        cl.setExecutionExceptionHandler(new Errors());
        cl.setExecutionStrategy(Errors::runCatchingErrors);
        return cl;
    }
}
