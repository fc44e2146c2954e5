/** The benchmark's GraphQL documents. The nested list is the one the hand-written baseline answers. */

/** First 50 visible projects ordered by id, with enterprise and fund applications (the platform's default nested page, 20). */
export const NESTED_LIST = `query BenchNestedList($first: Int!) {
  projects(first: $first) {
    edges {
      node {
        id
        projectCode
        name
        stage
        totalInvestment
        enterprise { name creditCode }
        fundApplications { edges { node { requestedAmount status } } }
      }
    }
  }
}`;
export const PAGE_SIZE = 50;

export const NODE_LOOKUP = `query BenchNode($id: ID!) {
  node(id: $id) { id ... on Project { name stage totalInvestment } }
}`;

export const SAVE_REPORT = `mutation BenchSaveReport($input: SaveMonthlyReportInput!) {
  saveMonthlyReport(input: $input) { report { id version status } }
}`;

export const SUBMIT_REPORT = `mutation BenchSubmitReport($input: TransitionInput!) {
  submitMonthlyReport(input: $input) { report { id version status } }
}`;

/** Investment totals by territory for the viewer's scope (the driver reports it missing if the root field is absent). */
export const STATS: { rootField: string; query: string } | null = {
  rootField: 'investmentByTerritory',
  query: `query BenchStats { investmentByTerritory { territory { code } projectCount totalInvestment equipmentInvestment } }`,
};

export const LOGIN = `mutation BenchLogin($input: LoginInput!) { login(input: $input) { accessToken } }`;

export const body = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });
