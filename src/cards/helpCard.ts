import type { GroupRequest } from '../requests/groupRequest';
import { describeStatus } from '../requests/workflow';
import { renderCard, type AdaptiveCard } from './cardTemplates';
import { markdownText } from './markdownText';
import { shownTime, type ViewerClock } from './viewerTime';

export const COMMANDS = [
  { command: 'new group', meaning: 'Open the request form' },
  { command: 'my requests', meaning: 'Your latest requests and where they stand' },
  { command: 'pending', meaning: 'Requests waiting for a decision (approvers)' },
  { command: 'status <id>', meaning: 'One request in full' },
  { command: 'cancel <id>', meaning: 'Withdraw a request that is still waiting' },
  { command: 'remind <id>', meaning: 'Remind the approvers of your waiting request (once a day)' },
  { command: 'use this channel for approvals', meaning: 'In a team channel: post approval cards here (approvers)' },
  { command: 'help', meaning: 'This list' },
];

export function helpCard(heard = ''): AdaptiveCard {
  return renderCard('help', { heard: markdownText(heard), commands: COMMANDS });
}

/** A list of requests; `viewer`: the one person it is for, whose local times it adds next to UTC. */
export function requestListCard(title: string, empty: string, requests: GroupRequest[], viewer?: ViewerClock): AdaptiveCard {
  return renderCard('requestList', {
    title,
    empty,
    requests: requests.map((r) => ({
      id: r.id,
      displayName: markdownText(r.spec.displayName),
      statusText: describeStatus(r.status),
      updatedAt: shownTime(r.updatedAt, viewer),
    })),
  });
}
