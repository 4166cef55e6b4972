// The api's answers, as the UI reads them.

export interface Sample { name: string; input: string; expectedOutput: string; }
/** An interactive or multi-pass problem's sample: lines its program wrote begin with '>', lines it read with '<', '---' ends a pass. */
export interface SampleInteraction { name: string; text: string; }
// An INTERACTIVE or MULTI_PASS problem has no samples (their data is the judge's), its sampleInteractions instead.
export interface Problem { id: string; name: string; timeLimit: string | number; memoryLimitBytes: number; checker: string; samples: Sample[]; secretTestCount: number; statement: string | null; timeLimitSource?: string | null; sampleInteractions?: SampleInteraction[]; }
export interface ContestView { id: string; title: string; start: string; end: string; scoring: 'ICPC' | 'POINTS'; byInvitation: boolean; running: boolean; problems: Problem[]; }
export interface Runtime { language: string; version: string; aliases: string[]; }
export interface TestResult { testName: string; verdict: string; timeMs: number; memoryBytes: number; output: string | null; expected: string | null; message: string | null; visible: boolean; }
// In an ICPC contest a participant gets results of the samples only, failedTest and no score.
// A test data group's result (a problem with groups): score and maxScore null for pass-fail problems and where scores are not shown.
export interface GroupResult { name: string; verdict: string; score: number | null; maxScore: number | null; tests: number; testsRun: number; testsAccepted: number; message: string | null; }
export interface SubmissionView { id: string; problemId: string; language: string; status: string; testsDone: number; testsTotal: number; verdict: string | null; score: number | null; failedTest: number | null; compileOutput: string | null; tests: TestResult[]; groups?: GroupResult[]; createdAt: string; }
export interface Summary { id: string; problemId: string; language: string; createdAt: string; updatedAt: string; status: string; verdict: string | null; score: number | null; testsDone: number; testsTotal: number; }
export interface Entry { contestId: string; participant: string; displayName?: string; key: string; }
/** A submission's code, as its owner sent it (only its owner and admins read it). */
export interface Source { id: string; problemId: string; language: string; version: string; files: { name?: string; content: string }[]; createdAt: string; }
