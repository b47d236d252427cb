import { ActionIcon, Avatar, Badge, Button, Card, Group, Select, Stack, Text, Textarea, Title, Tooltip } from '@mantine/core';
import { IconHeartHandshake, IconMessage, IconSend, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAddComment, useComments, useDeleteComment, type KeyResult } from '../../api/okr-queries';
import { useCan, useSession } from '../../auth/session';
import { ErrorState, CardsSkeleton } from '../../components/query-state';
import { Timestamp } from '../../components/timestamp';
import { initials } from '../../lib/initials';
import { useNotify } from '../../lib/use-notify';

/** Comments and kudos on an objective and its key results, oldest first. */
export function CommentsPanel({ objectiveId, keyResults }: { objectiveId: string; keyResults: KeyResult[] }) {
  const { t } = useTranslation();
  const session = useSession();
  const can = useCan();
  const notify = useNotify();
  const comments = useComments(objectiveId);
  const add = useAddComment();
  const remove = useDeleteComment();
  const [body, setBody] = useState('');
  const [keyResultId, setKeyResultId] = useState<string | null>(null);
  const titles = new Map(keyResults.map((kr) => [kr.id, kr.title]));

  const send = async (kind: 'comment' | 'kudos') => {
    if (!body.trim()) return;
    try {
      await add.mutateAsync({ objectiveId, kind, body: body.trim(), keyResultId });
      setBody('');
      notify.success(kind === 'kudos' ? t('okrs.comments.kudosSent') : t('okrs.comments.posted'));
    } catch (error) {
      notify.error(error);
    }
  };

  return (
    <Card>
      <Title order={2} fz="lg" mb="md">
        {t('okrs.comments.title')}
      </Title>
      {comments.isPending ? (
        <CardsSkeleton count={2} height={60} />
      ) : comments.isError ? (
        <ErrorState error={comments.error} onRetry={() => void comments.refetch()} />
      ) : (
        <Stack gap="md">
          {comments.data.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('okrs.comments.empty')}
            </Text>
          )}
          {comments.data.map((comment) => (
            <Group key={comment.id} align="flex-start" wrap="nowrap" gap="sm" data-testid="okr-comment">
              <Avatar size={32} radius="xl" color={comment.kind === 'kudos' ? 'pink' : 'initials'} name={comment.author.name ?? '?'}>
                {comment.kind === 'kudos' ? <IconHeartHandshake size={18} /> : initials(comment.author.name ?? '?')}
              </Avatar>
              <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                <Group gap="xs" wrap="wrap">
                  <Text size="sm" fw={600}>
                    {comment.author.name ?? t('okrs.unknownPerson')}
                  </Text>
                  {comment.kind === 'kudos' && (
                    <Badge size="xs" color="pink" variant="light">
                      {t('okrs.comments.kudos')}
                    </Badge>
                  )}
                  {comment.keyResultId && titles.has(comment.keyResultId) && (
                    <Text size="xs" c="dimmed" lineClamp={1}>
                      {t('okrs.comments.on', { title: titles.get(comment.keyResultId) })}
                    </Text>
                  )}
                  <Timestamp iso={comment.createdAt} size="xs" c="dimmed" />
                </Group>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {comment.body}
                </Text>
              </Stack>
              {(comment.author.id === session.user.id || can('okrs:admin')) && (
                <Tooltip label={t('common.delete')}>
                  <ActionIcon variant="subtle" color="gray" size="sm" aria-label={t('common.delete')} loading={remove.isPending && remove.variables === comment.id} onClick={() => remove.mutate(comment.id, { onError: notify.error })}>
                    <IconTrash size={14} />
                  </ActionIcon>
                </Tooltip>
              )}
            </Group>
          ))}
          {can('okrs:write') && (
            <Stack gap="xs" mt="xs">
              <Textarea
                placeholder={t('okrs.comments.placeholder')}
                aria-label={t('okrs.comments.placeholder')}
                autosize
                minRows={2}
                maxRows={8}
                value={body}
                onChange={(e) => setBody(e.currentTarget.value)}
              />
              <Group justify="space-between" wrap="wrap">
                <Select
                  size="xs"
                  w={260}
                  placeholder={t('okrs.comments.wholeObjective')}
                  aria-label={t('okrs.comments.about')}
                  data={keyResults.map((kr) => ({ value: kr.id, label: kr.title }))}
                  value={keyResultId}
                  onChange={setKeyResultId}
                  clearable
                />
                <Group gap="xs">
                  <Button size="xs" variant="light" color="pink" leftSection={<IconHeartHandshake size={14} />} disabled={!body.trim()} loading={add.isPending && add.variables.kind === 'kudos'} onClick={() => void send('kudos')}>
                    {t('okrs.comments.giveKudos')}
                  </Button>
                  <Button size="xs" leftSection={body.trim() ? <IconSend size={14} /> : <IconMessage size={14} />} disabled={!body.trim()} loading={add.isPending && add.variables.kind === 'comment'} onClick={() => void send('comment')}>
                    {t('okrs.comments.post')}
                  </Button>
                </Group>
              </Group>
            </Stack>
          )}
        </Stack>
      )}
    </Card>
  );
}
