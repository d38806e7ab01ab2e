// Every page module of the app. A new page (e.g. meetings) is a new module exporting its
// `routes` (path, access, title, nav entry), added here, with its keys in both catalogues.
import * as apply from './apply.js';
import * as signIn from './signin.js';
import * as home from './home.js';
import * as opportunities from './opportunities.js';
import * as opportunity from './opportunity.js';
import * as meetings from './meetings.js';
import * as meeting from './meeting.js';
import * as assignments from './assignments.js';
import * as statement from './statement.js';
import * as coins from './coins.js';
import * as directory from './directory.js';
import * as profile from './profile.js';
import * as unsubscribe from './unsubscribe.js';
import * as applications from './admin/applications.js';
import * as receivables from './admin/receivables.js';
import * as payables from './admin/payables.js';
import * as claims from './admin/claims.js';
import * as jobs from './admin/jobs.js';
import * as pots from './admin/pots.js';
import * as intake from './admin/intake.js';
import * as member from './admin/member.js';
import * as bankIn from './admin/bank.js';

export const pages = [
  apply, signIn, home, opportunities, opportunity, meetings, meeting, assignments, statement, coins, directory, profile, unsubscribe,
  applications, receivables, payables, claims, intake, jobs, pots, member, bankIn,
];
